# shellcheck shell=sh
# Stand-in for OpenWrt's /lib/functions.sh, UCI part: config_load reads the UCI file
# $IPKG_INSTROOT/etc/config/NAME itself (OpenWrt's goes through /sbin/uci) into the same
# CONFIG_<section>_<option> variables, and config_foreach, config_get, config_get_bool and
# config_list_foreach answer from them with OpenWrt's semantics (anonymous sections get
# generated names, config_get_bool knows 1/yes/on/true/enabled and their opposites).
# shellcheck disable=SC3043 # as in OpenWrt's own, 'local' is in ash and dash

CONFIG_SECTIONS=""
_STUB_SECTION=""
_STUB_ANON=0

_stub_config_section() {
	local name="${2:-}"
	if [ -z "$name" ]; then
		_STUB_ANON=$((_STUB_ANON + 1))
		name=$(printf 'cfg%02x%04x' "$_STUB_ANON" "$_STUB_ANON")
	fi
	case "$name" in
	*[!A-Za-z0-9_]*)
		echo "functions.sh stub: bad section name '$name'" >&2
		return 1
		;;
	esac
	CONFIG_SECTIONS="$CONFIG_SECTIONS $name"
	eval "CONFIG_${name}_TYPE=\$1"
	_STUB_SECTION=$name
}

_stub_config_option() {
	eval "CONFIG_${_STUB_SECTION}_$1=\$2"
}

_stub_config_list() {
	local n
	eval "n=\${CONFIG_${_STUB_SECTION}_$1_LENGTH:-0}"
	n=$((n + 1))
	eval "CONFIG_${_STUB_SECTION}_$1_ITEM$n=\$2"
	eval "CONFIG_${_STUB_SECTION}_$1_LENGTH=\$n"
}

config_load() {
	local file="$IPKG_INSTROOT/etc/config/$1" line
	[ -f "$file" ] || return 1
	while IFS= read -r line || [ -n "$line" ]; do
		# UCI's quoting is the shell's for what the tests write ('...', "...", bare words).
		eval "set -- $line"
		[ $# -gt 0 ] || continue
		case "$1" in
		\#*) ;;
		config) _stub_config_section "$2" "${3:-}" || return 1 ;;
		option) _stub_config_option "$2" "$3" ;;
		list) _stub_config_list "$2" "$3" ;;
		package) ;;
		*)
			echo "functions.sh stub: cannot parse '$line' in $file" >&2
			return 1
			;;
		esac
	done <"$file"
}

config_foreach() {
	local _fn="$1" _type="$2" _section _section_type
	shift 2
	for _section in $CONFIG_SECTIONS; do
		eval "_section_type=\$CONFIG_${_section}_TYPE"
		[ "$_section_type" = "$_type" ] || continue
		"$_fn" "$_section" "$@"
	done
}

config_get() {
	# Underscored names: the caller's variable may be called 'value' or 'section' too.
	local _var="$1" _section="$2" _option="$3" _value="${4:-}"
	eval "_value=\${CONFIG_${_section}_${_option}-\$_value}"
	eval "$_var=\$_value"
}

config_get_bool() {
	local _bool
	config_get _bool "$2" "$3" "${4:-}"
	case "$_bool" in
	1 | on | true | yes | enabled) _bool=1 ;;
	0 | off | false | no | disabled) _bool=0 ;;
	*) _bool=${4:-} ;;
	esac
	eval "$1=\$_bool"
}

config_list_foreach() {
	local _section="$1" _option="$2" _fn="$3" _n _i _item
	shift 3
	eval "_n=\${CONFIG_${_section}_${_option}_LENGTH:-0}"
	_i=1
	while [ "$_i" -le "$_n" ]; do
		eval "_item=\$CONFIG_${_section}_${_option}_ITEM$_i"
		"$_fn" "$_item" "$@"
		_i=$((_i + 1))
	done
}
