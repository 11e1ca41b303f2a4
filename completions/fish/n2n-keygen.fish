# fish completion for n2n-keygen (n2nkit)
complete -c n2n-keygen -f
complete -c n2n-keygen -n __fish_is_first_arg -a secret -d 'Print a random community name or key'
complete -c n2n-keygen -n 'not __fish_seen_subcommand_from secret' -s F -r -d 'Print the -P option for edges of a federation'
complete -c n2n-keygen -s h -l help -d 'Print a summary of the usage and exit'
complete -c n2n-keygen -n 'not __fish_seen_subcommand_from secret' -l version -d 'Print the version and exit'
complete -c n2n-keygen -n '__fish_seen_subcommand_from secret' -l length -x -d 'Characters per secret (community 1-19, key 1-64)'
complete -c n2n-keygen -n '__fish_seen_subcommand_from secret' -l count -x -d 'How many secrets'
complete -c n2n-keygen -n '__fish_seen_subcommand_from secret' -l for -x -a 'community key' -d 'What the secret is for'
complete -c n2n-keygen -n '__fish_seen_subcommand_from secret' -l json -d 'Print one JSON object'
