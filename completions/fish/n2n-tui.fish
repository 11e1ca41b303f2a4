# fish completion for n2n-tui (n2nkit)
complete -c n2n-tui -f
complete -c n2n-tui -s t -x -a '5644 5645' -d 'Management port on 127.0.0.1 (repeatable)'
complete -c n2n-tui -l management-password -x -d 'Management password (one for all, or one per -t)'
complete -c n2n-tui -s d -l refresh -x -d 'Seconds between polls (default 1)'
complete -c n2n-tui -l timeout -x -d 'Milliseconds to wait for each reply (default 500)'
complete -c n2n-tui -s A -x -a '1\tnull 2\tTwofish 3\tAES 4\tChaCha20 5\tSpeck' -d 'Transform for the overhead'
complete -c n2n-tui -s i -x -a '(__fish_print_interfaces)' -d 'Interface for the SYN capture and the Firewall view'
complete -c n2n-tui -l once -d 'Print one snapshot as text and exit'
complete -c n2n-tui -l json -d 'Print one snapshot as JSON and exit'
complete -c n2n-tui -l no-color -d 'No colours'
complete -c n2n-tui -s h -l help -d 'Print a summary of the usage and exit'
complete -c n2n-tui -l version -d 'Print the version and exit'
