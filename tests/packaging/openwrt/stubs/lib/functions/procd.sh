# shellcheck shell=sh
# Stand-in for OpenWrt's /lib/functions/procd.sh: instead of sending the service to procd
# over ubus it writes what would be sent to $STUB_TRACE, one instance at a time:
#   service n2n
#   instance edge_home
#   command /usr/sbin/n2n-edge -f ...
#   respawn 3600 5 0
#   end
#   trigger config n2n
# With STUB_PROCD_RUN set to a directory it also plays procd's part for real: each instance's
# command is started in the background (/usr/sbin/X taken from $STUB_SBIN/X, env as given),
# its PID in STUB_PROCD_RUN/INSTANCE.pid, and procd_kill stops them (TERM, KILL after 5 s).
# shellcheck disable=SC3043 # as in OpenWrt's own, 'local' is in ash and dash

_stub_trace() {
	echo "$*" >>"$STUB_TRACE"
}

procd_open_service() {
	_stub_trace "service $1"
}

procd_close_service() {
	_stub_trace "service end"
}

procd_open_instance() {
	[ -z "${_STUB_INSTANCE:-}" ] || {
		echo "procd stub: procd_open_instance inside instance $_STUB_INSTANCE" >&2
		exit 1
	}
	_STUB_INSTANCE=${1:-instance1}
	_STUB_PARAMS=""
	_STUB_V_command=""
	_STUB_V_env=""
	_stub_trace "instance $_STUB_INSTANCE"
}

procd_set_param() {
	[ -n "${_STUB_INSTANCE:-}" ] || {
		echo "procd stub: procd_set_param $1 outside an instance" >&2
		exit 1
	}
	local param="$1"
	shift
	eval "_STUB_P_$param=\$*"
	case " $_STUB_PARAMS " in
	*" $param "*) ;;
	*) _STUB_PARAMS="$_STUB_PARAMS $param" ;;
	esac
}

procd_append_param() {
	local param="$1" old
	shift
	eval "old=\${_STUB_P_$param:-}"
	if [ -z "$old" ]; then
		procd_set_param "$param" "$@"
	else
		eval "_STUB_P_$param=\"\$old \$*\""
	fi
}

procd_close_instance() {
	local param value
	for param in $_STUB_PARAMS; do
		eval "value=\$_STUB_P_$param"
		_stub_trace "$param $value"
		eval "_STUB_V_$param=\$value"
		unset "_STUB_P_$param"
	done
	_stub_trace "end"
	[ -z "${STUB_PROCD_RUN:-}" ] || _stub_run_instance
	_STUB_INSTANCE=""
}

_stub_run_instance() {
	local cmd env
	eval "cmd=\${_STUB_V_command:-} env=\${_STUB_V_env:-}"
	# shellcheck disable=SC2086 # procd's arguments were words without blanks in the tests
	set -- $cmd
	case "$1" in
	/usr/sbin/*) cmd="$STUB_SBIN/${1#/usr/sbin/}" ;;
	*) cmd=$1 ;;
	esac
	shift
	# shellcheck disable=SC2086 # NAME=VALUE words
	env $env "$cmd" "$@" >>"$STUB_PROCD_RUN/$_STUB_INSTANCE.log" 2>&1 &
	echo "$!" >"$STUB_PROCD_RUN/$_STUB_INSTANCE.pid"
}

procd_add_reload_trigger() {
	local config
	for config in "$@"; do
		_stub_trace "trigger config $config"
	done
}

procd_add_reload_interface_trigger() {
	_stub_trace "trigger interface $1 reload"
}

procd_add_interface_trigger() {
	local event="$1" iface="$2"
	shift 2
	_stub_trace "trigger interface $iface $event $*"
}

procd_kill() {
	_stub_trace "kill $*"
	[ -n "${STUB_PROCD_RUN:-}" ] || return 0
	local pidfile pid n
	for pidfile in "$STUB_PROCD_RUN"/*.pid; do
		[ -f "$pidfile" ] || continue
		pid=$(cat "$pidfile")
		kill "$pid" 2>/dev/null
		n=0
		while kill -0 "$pid" 2>/dev/null && [ "$n" -lt 50 ]; do
			sleep 0.1
			n=$((n + 1))
		done
		kill -KILL "$pid" 2>/dev/null
		rm -f "$pidfile"
	done
}
