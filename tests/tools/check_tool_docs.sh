#!/bin/bash
# check_tool_docs.sh TOOL MAN_PAGE COMPLETIONS_DIR
#
# The options a tool's --help lists must be exactly the options its man page documents (the
# tags of the OPTIONS section, both directions) and must all be offered by its bash, zsh and
# fish completions (fish, whose syntax names every option explicitly, also may not offer an
# option --help does not list). Prints every discrepancy and exits 1 if there is any.
set -u
export LC_ALL=C

if [ $# -ne 3 ]; then
  echo "usage: $0 TOOL MAN_PAGE COMPLETIONS_DIR" >&2
  exit 2
fi
tool=$1
page=$2
compdir=$3
name=$(basename "$tool")
bash_file="$compdir/bash/$name"
zsh_file="$compdir/zsh/_$name"
fish_file="$compdir/fish/$name.fish"

failures=0
fail() {
  echo "FAIL: $name: $*" >&2
  failures=$((failures + 1))
}

# Option tokens (-x, --long-name) in stdin, one per line, sorted and unique. A token must
# start the text or follow a blank, comma, '|', '*' (zsh: repeatable), a bracket, a brace or a
# quote, so hyphenated words ("federation-name") and negative numbers are not taken for options.
option_tokens() {
  grep -oE "(^|[][[:space:],|(){}*'\"])--?[A-Za-z0-9?][A-Za-z0-9_-]*" |
    sed -E "s/^[][[:space:],|(){}*'\"]+//" | sort -u
}

# --- --help ---------------------------------------------------------------------------
help_text=$("$tool" --help 2>&1)
status=$?
if [ $status -ne 0 ]; then
  fail "'$name --help' exited with status $status"
fi
# Option lines are indented and start with '-'; the option part ends at the first run of
# two blanks, where the description starts (CLI11's layout, and the usual one).
help_opts=$(printf '%s\n' "$help_text" | grep -E '^[[:space:]]+-' |
  sed -E 's/^[[:space:]]+//; s/[[:space:]]{2,}.*$//' | option_tokens)
if [ -z "$help_opts" ]; then
  fail "'$name --help' lists no options"
fi

# --- man page -------------------------------------------------------------------------
if [ ! -f "$page" ]; then
  fail "man page $page not found"
  man_opts=""
else
  # Tag lines of the OPTIONS section: the line after .TP (and .TQ), the argument of .IP.
  # Font escapes and quotes are removed, '\-' becomes '-'.
  man_opts=$(awk '
    /^\.SH[[:space:]]/ {
      title = $0
      sub(/^\.SH[[:space:]]+/, "", title)
      gsub(/"/, "", title)
      in_options = (toupper(title) == "OPTIONS")
      next
    }
    !in_options { next }
    /^\.(TP|TQ)([[:space:]]|$)/ { want_tag = 1; next }
    /^\.IP[[:space:]]/ { print; next }
    want_tag { print; want_tag = 0 }
  ' "$page" |
    sed -E 's/\\f(\[[^]]*\]|\(..|.)//g; s/\\-/-/g; s/\\&//g; s/\\e/\\/g; s/^\.[A-Z]+[[:space:]]*//; s/"//g' |
    option_tokens)
  if [ -z "$man_opts" ]; then
    fail "man page $page has no options in an OPTIONS section (.SH OPTIONS with .TP tags)"
  fi
  for opt in $help_opts; do
    grep -qxF -e "$opt" <<<"$man_opts" || fail "option $opt (from --help) is not documented in the OPTIONS section of $(basename "$page")"
  done
  for opt in $man_opts; do
    grep -qxF -e "$opt" <<<"$help_opts" || fail "option $opt is documented in $(basename "$page") but not listed by --help"
  done
fi

# --- completions ----------------------------------------------------------------------
# Completion-system syntax is removed first so that its own flags (complete -F, compgen -W,
# [[ -n ... ]], _arguments -s, ...) cannot stand in for a missing option of the tool.
strip_shell_noise() {
  sed -E '
    s/(^|[[:space:]])#.*$//
    /^[[:space:]]*complete[[:space:]]/d
    s/\[\[[^]]*\]\]//g
    s/\[[[:space:]][^]]*[[:space:]]\]//g
    s/(compgen|compadd|local|declare|typeset|readonly|export|shopt|_[A-Za-z_]+)(([[:space:]]+-[A-Za-z]+)+)/\1/g
  ' "$1"
}

check_offered() {  # file label tokens
  local file=$1 label=$2 tokens=$3 opt
  for opt in $help_opts; do
    grep -qxF -e "$opt" <<<"$tokens" || fail "option $opt (from --help) is missing from the $label completion $file"
  done
}

if [ -f "$bash_file" ]; then
  check_offered "$bash_file" bash "$(strip_shell_noise "$bash_file" | option_tokens)"
else
  fail "bash completion $bash_file not found"
fi

if [ -f "$zsh_file" ]; then
  # In _arguments specs [...] is an option's description and (...) lists the options it
  # excludes: neither offers an option.
  check_offered "$zsh_file" zsh "$(strip_shell_noise "$zsh_file" |
    sed -E 's/\[[^]]*\]//g; :a; s/\([^()]*\)//g; ta' | option_tokens)"
else
  fail "zsh completion $zsh_file not found"
fi

if [ -f "$fish_file" ]; then
  # complete -c tool -s X (-X), -l name (--name), -o name (-name); quoted text removed first.
  fish_opts=$(sed -E "s/'[^']*'//g; s/\"[^\"]*\"//g" "$fish_file" | awk '
    $1 == "complete" {
      for (i = 2; i < NF; i++) {
        if ($i == "-s" || $i == "--short-option") print "-" $(i + 1)
        else if ($i == "-l" || $i == "--long-option") print "--" $(i + 1)
        else if ($i == "-o" || $i == "--old-option") print "-" $(i + 1)
      }
    }' | sort -u)
  check_offered "$fish_file" fish "$fish_opts"
  for opt in $fish_opts; do
    grep -qxF -e "$opt" <<<"$help_opts" || fail "option $opt is offered by the fish completion $fish_file but not listed by --help"
  done
else
  fail "fish completion $fish_file not found"
fi

if [ $failures -ne 0 ]; then
  echo "$name: $failures documentation problem(s)" >&2
  exit 1
fi
echo "OK: $name: $(wc -w <<<"$help_opts") options agree between --help, $(basename "$page") and the bash, zsh and fish completions"
