# fish completion for n2n-keygen (n2nkit)
complete -c n2n-keygen -f
complete -c n2n-keygen -s F -r -d 'Print the -P option for edges of a federation'
complete -c n2n-keygen -s h -l help -d 'Print a summary of the usage and exit'
complete -c n2n-keygen -l version -d 'Print the version and exit'
