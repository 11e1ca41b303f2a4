# fish completion for n2n-mac (n2nkit)
complete -c n2n-mac -f
complete -c n2n-mac -n __fish_use_subcommand -a gen -d 'Print random locally administered unicast MACs'
complete -c n2n-mac -n __fish_use_subcommand -a check -d 'Explain a MAC and whether an edge should use it'
complete -c n2n-mac -n __fish_use_subcommand -a from-name -d 'Print the MAC derived from a name'
complete -c n2n-mac -l json -d 'Print one JSON object instead of the text'
complete -c n2n-mac -s h -l help -d 'Print a summary of the usage and exit'
complete -c n2n-mac -n __fish_use_subcommand -l version -d 'Print the version and exit'
complete -c n2n-mac -n '__fish_seen_subcommand_from gen' -l count -x -d 'How many distinct addresses (1-4096)'
complete -c n2n-mac -n '__fish_seen_subcommand_from gen from-name' -l family -x -a '2\tAAI 6\treserved a\tELI e\tSAI' -d 'Second hex digit of the first octet'
