#!/bin/sh
# Runs a command inside a directory tree the way a container runtime runs an image's entrypoint under Kubernetes'
# restricted settings, without a container engine:
#   - new PID and mount namespaces: the command is PID 1, as ENTRYPOINT is in a container;
#   - the tree is the root (chroot), mounted read-only (readOnlyRootFilesystem: true);
#   - volumes are bind-mounted (an emptyDir at /tmp, a ConfigMap at /config, …), /dev and a fresh /proc as usual;
#   - the command runs as UID:GID with no supplementary groups, in WORKDIR, with exactly the caller's environment.
# The network namespace is the caller's, so loopback servers of a test are reachable.
#
# Usage: run-rootfs.sh [-v HOST_DIR:PATH[:ro]]... [-w WORKDIR] [-u UID:GID] ROOTFS COMMAND [ARG]...
# Needs root (or a user namespace mapping root), util-linux unshare >= 2.38 (--root, --wd, --setuid) and mount.
# The host PID of the command is the only child of this script's process (which becomes `unshare`); signalling it
# from outside is what the kubelet's runtime does, and SIGKILL to it ends the whole namespace. Killing this script's
# process alone does not stop a command that runs as another user: the kernel clears the parent-death signal
# (--kill-child) when the credentials change, so a caller cleaning up must kill the command's PID.
set -eu

volumes=''
workdir='/'
user='0:0'
while getopts 'v:w:u:' opt; do
  case "$opt" in
    v) volumes="$volumes$OPTARG
" ;;
    w) workdir=$OPTARG ;;
    u) user=$OPTARG ;;
    *) echo "usage: run-rootfs.sh [-v HOST_DIR:PATH[:ro]]... [-w WORKDIR] [-u UID:GID] ROOTFS COMMAND [ARG]..." >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ "$#" -ge 2 ] || { echo "run-rootfs.sh: need ROOTFS and COMMAND" >&2; exit 2; }
root=$(cd "$1" && pwd)
shift

# shellcheck disable=SC2016 # expanded by the inner shell
exec unshare --mount --pid --fork --kill-child --propagation private -- /bin/sh -eu -c '
  root=$1 workdir=$2 user=$3 volumes=$4
  shift 4
  mount --bind "$root" "$root"
  printf "%s" "$volumes" | while IFS= read -r volume; do
    [ -n "$volume" ] || continue
    host=${volume%%:*} rest=${volume#*:}
    path=${rest%%:*} mode=${rest#"$path"}
    mkdir -p "$root$path"
    mount --bind "$host" "$root$path"
    if [ "$mode" = ":ro" ]; then mount -o remount,bind,ro "$root$path"; fi
  done
  mount --bind /dev "$root/dev"
  mount -t proc proc "$root/proc"
  mount -o remount,bind,ro "$root"
  exec unshare --root="$root" --wd="$workdir" --setgid="${user#*:}" --setuid="${user%%:*}" -- "$@"
' run-rootfs "$root" "$workdir" "$user" "$volumes" "$@"
