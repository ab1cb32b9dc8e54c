# shellcheck shell=bash
# Shared helpers for scripts/demo, scripts/test, scripts/lint and .ci/run.
#
# Source it (". scripts/lib.sh"); it defines functions and a few variables and
# changes nothing else. The callers use `set -euo pipefail`.
#
# Environment knobs (all optional):
#   PYTHON            python interpreter to use (default: python3)
#   ODOO_SRC          an Odoo 18.0 source checkout (holding odoo/__init__.py and
#                     odoo-bin), used when Odoo is not importable as installed
#   PGHOST/PGPORT/PGUSER/PGPASSWORD
#                     an existing PostgreSQL server to use instead of the
#                     project's embedded one (the role must be able to create
#                     databases and must not be "postgres": Odoo refuses it)
#   AR_PG_EMBEDDED=1  always use the embedded cluster, ignore PG* variables
#   AR_PG_PORT        port of the embedded cluster (default 54329)
#   AR_ADDON          addon to install/test (default ar_dispute_management)
#   AR_ADDONS_EXTRA   extra addons directories (comma separated), searched
#                     after the repository root and before Odoo's own addons

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
LOCAL_DIR="$REPO_ROOT/.local"
PYTHON="${PYTHON:-python3}"
ADDON="${AR_ADDON:-ar_dispute_management}"
# Fixed local master password written to the generated Odoo configs. These
# servers only listen on 127.0.0.1 and list_db is off; this is not a secret.
ODOO_ADMIN_PASSWD="ar-dispute-local-admin"

log() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() {
    local code="$1"
    shift
    printf '\nERROR: %s\n\n' "$*" >&2
    exit "$code"
}

# ---------------------------------------------------------------------------
# Odoo
# ---------------------------------------------------------------------------

_odoo_install_help() {
    cat >&2 <<EOF

ERROR: Odoo 18.0 is not importable with '$PYTHON'${ODOO_SRC:+ (ODOO_SRC=$ODOO_SRC)}.

Install it from a source checkout beside this project:

    git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo ../odoo
    printf 'setuptools<81\n' > /tmp/c.txt
    PIP_CONSTRAINT=/tmp/c.txt pip install -r ../odoo/requirements.txt
    pip install -e ../odoo --config-settings editable_mode=compat

(python-ldap in requirements.txt needs the libldap2-dev and libsasl2-dev
system packages; install them or drop that line if you don't need LDAP.)

Or point ODOO_SRC at an existing Odoo 18.0 checkout whose Python
requirements are installed:

    ODOO_SRC=/path/to/odoo $0

EOF
}

# Prints the directory of the odoo package if Odoo 18.0 imports; otherwise
# says why not on stderr and fails.
_odoo_pkg_dir() {
    "$PYTHON" - <<'EOF'
import os
import sys

try:
    import odoo.release
except Exception as exc:  # not installed, or one of its dependencies missing
    sys.exit(f"import odoo failed: {exc!r}")
if tuple(odoo.release.version_info[:2]) != (18, 0):
    sys.exit(f"found Odoo {odoo.release.version} at {odoo.__file__}, need 18.0")
print(os.path.dirname(os.path.abspath(odoo.__file__)))
EOF
}

# Sets ODOO_PKG_DIR, ODOO_CMD (array: how to run the Odoo CLI) and
# ODOO_ADDONS_PATH; exits 2 with install instructions if Odoo can't be found.
find_odoo() {
    if [[ -n "${ODOO_SRC:-}" ]]; then
        # An explicit checkout wins over whatever is installed.
        local src
        src="$(cd "$ODOO_SRC" 2>/dev/null && pwd -P)" || src=""
        if [[ -z "$src" || ! -f "$src/odoo/__init__.py" || ! -f "$src/odoo-bin" ]]; then
            printf '\nERROR: ODOO_SRC=%s holds no odoo/__init__.py and odoo-bin.\n' \
                "$ODOO_SRC" >&2
            _odoo_install_help
            exit 2
        fi
        ODOO_SRC="$src"
        export PYTHONPATH="$ODOO_SRC${PYTHONPATH:+:$PYTHONPATH}"
    fi

    if ! ODOO_PKG_DIR="$(_odoo_pkg_dir)" || [[ -z "$ODOO_PKG_DIR" ]]; then
        _odoo_install_help
        exit 2
    fi

    if [[ -n "${ODOO_SRC:-}" ]]; then
        ODOO_CMD=("$PYTHON" "$ODOO_SRC/odoo-bin")
    else
        # `python -m odoo` works for regular and editable installs alike and
        # does not depend on where pip put the `odoo` console script.
        ODOO_CMD=("$PYTHON" -m odoo)
    fi

    # Repository root first so our addons win, then any extra directories,
    # then Odoo's addons: a source checkout keeps them beside the package
    # (<pkg>/../addons), a wheel install inside it (<pkg>/addons).
    ODOO_ADDONS_PATH="$REPO_ROOT"
    local dir
    if [[ -n "${AR_ADDONS_EXTRA:-}" ]]; then
        local -a extra
        IFS=',' read -r -a extra <<<"$AR_ADDONS_EXTRA"
        for dir in "${extra[@]}"; do
            [[ -n "$dir" ]] && ODOO_ADDONS_PATH+=",$(cd "$dir" && pwd -P)"
        done
    fi
    for dir in "$ODOO_PKG_DIR/../addons" "$ODOO_PKG_DIR/addons"; do
        if [[ -d "$dir" ]]; then
            ODOO_ADDONS_PATH+=",$(cd "$dir" && pwd -P)"
        fi
    done
    export TZ=UTC # odoo-bin does this too; the server expects UTC
    log "Odoo 18.0 found: $ODOO_PKG_DIR"
}

# Prints the directory of addon $1 (first match along ODOO_ADDONS_PATH).
addon_dir() {
    local dir
    local -a dirs
    IFS=',' read -r -a dirs <<<"$ODOO_ADDONS_PATH"
    for dir in "${dirs[@]}"; do
        if [[ -f "$dir/$1/__manifest__.py" ]]; then
            printf '%s\n' "$dir/$1"
            return 0
        fi
    done
    return 1
}

# ---------------------------------------------------------------------------
# Test dependencies
# ---------------------------------------------------------------------------

# pip-installs requirements-test.txt, but only when a pinned package is
# missing or at another version, so that repeated runs need no network.
ensure_test_deps() {
    local req="$REPO_ROOT/requirements-test.txt"
    if "$PYTHON" - "$req" <<'EOF'; then
import re
import sys
from importlib.metadata import PackageNotFoundError, version

missing = []
for line in open(sys.argv[1]):
    line = line.split("#", 1)[0].strip()
    match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
    if not match:
        continue
    name, wanted = match.groups()
    try:
        if version(name) != wanted:
            missing.append(line)
    except PackageNotFoundError:
        missing.append(line)
if missing:
    print("missing test dependencies: " + ", ".join(missing), file=sys.stderr)
    sys.exit(1)
EOF
        return 0
    fi
    log "Installing test dependencies from requirements-test.txt"
    "$PYTHON" -m pip install --disable-pip-version-check -q -r "$req"
}

# ---------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------

# Finds the PostgreSQL server binaries: on PATH (psql comes from the client
# package, so look for initdb/pg_ctl) or in Debian's versioned directory.
_pg_bindir() {
    local initdb
    if initdb="$(command -v initdb)" && command -v pg_ctl >/dev/null; then
        dirname "$(readlink -f "$initdb")"
        return 0
    fi
    local dir
    # Newest version first.
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
            printf '%s\n' "$dir"
            return 0
        fi
    done
    return 1
}

# True when the server named by the PG* variables (or libpq's defaults)
# answers and our role may create databases.
_pg_external_ok() {
    local can
    can="$(PGCONNECT_TIMEOUT=3 psql -X -A -t -w -d postgres \
        -c 'select rolsuper or rolcreatedb from pg_roles where rolname = current_user' \
        2>/dev/null)" || return 1
    [[ "$can" == "t" ]]
}

# True when something accepts TCP connections on 127.0.0.1:$1.
_port_busy() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Runs a PostgreSQL server binary as the cluster owner. PostgreSQL refuses
# to run as root, so as root we use the "postgres" system user. The command
# runs from the cluster directory because the caller's cwd (e.g. a clone
# under /root) may not be readable by that user.
_pg_as_owner() {
    if [[ $EUID -eq 0 ]]; then
        (cd "$PG_DIR" && runuser -u postgres -- "$@")
    else
        (cd "$PG_DIR" && "$@")
    fi
}

# Chooses PG_DIR, the embedded cluster's directory (.local/pg, or a place
# under /var/tmp linked from .local/pg when the repository is private to root).
_pg_choose_dir() {
    mkdir -p "$LOCAL_DIR"
    local link="$LOCAL_DIR/pg"
    if [[ -L "$link" ]]; then
        # Made by an earlier run: keep using the same cluster.
        PG_DIR="$(readlink "$link")"
        mkdir -p "$PG_DIR"
    elif [[ $EUID -ne 0 ]] || runuser -u postgres -- test -x "$LOCAL_DIR"; then
        PG_DIR="$link"
        mkdir -p "$PG_DIR"
    else
        # The postgres user cannot enter the repository (typically a clone
        # under /root, mode 0700). Keep the cluster in a shared place, one per
        # repository path, and link it from .local/pg for discoverability.
        local hash
        hash="$(printf '%s' "$REPO_ROOT" | sha256sum | cut -c1-10)"
        install -d -m 0755 /var/tmp/ar_dispute_management
        PG_DIR="/var/tmp/ar_dispute_management/pg-$hash"
        mkdir -p "$PG_DIR"
        ln -sfn "$PG_DIR" "$link"
    fi
    if [[ $EUID -eq 0 ]]; then
        chown postgres: "$PG_DIR"
    fi
    chmod 0700 "$PG_DIR"
}

# Makes a PostgreSQL server available and exports PGHOST, PGPORT and PGUSER
# for the rest of the script (and for Odoo, which the config files point at
# the same server). Sets AR_PG_STARTED=1 when it started the embedded cluster.
ensure_postgres() {
    AR_PG_STARTED=0
    if [[ "${AR_PG_EMBEDDED:-0}" != 1 ]] && command -v psql >/dev/null; then
        local user="${PGUSER:-$(id -un)}"
        if [[ "$user" == postgres ]]; then
            # Odoo refuses to connect as "postgres"; don't even try it.
            if [[ -n "${PGHOST:-}${PGPORT:-}${PGUSER:-}" ]]; then
                warn "PGUSER is 'postgres', which Odoo refuses; set PGUSER to" \
                    "another role that can create databases. Using the" \
                    "project's embedded cluster instead."
            fi
        elif _pg_external_ok; then
            log "Using PostgreSQL at ${PGHOST:-<default socket>}:${PGPORT:-5432} as $user"
            export PGUSER="$user"
            return 0
        elif [[ -n "${PGHOST:-}${PGPORT:-}${PGUSER:-}" ]]; then
            warn "PostgreSQL at ${PGHOST:-<default socket>}:${PGPORT:-5432} as" \
                "$user is unreachable or may not create databases; using the" \
                "project's embedded cluster instead."
        fi
    fi
    _start_embedded_postgres
}

_start_embedded_postgres() {
    local bindir
    if ! bindir="$(_pg_bindir)"; then
        die 3 "No PostgreSQL server is reachable and no PostgreSQL server" \
            "binaries (initdb, pg_ctl) were found. Install them (Debian:" \
            "'apt-get install postgresql') or point PGHOST/PGPORT/PGUSER at a" \
            "server where that role can create databases."
    fi
    if ! command -v psql >/dev/null; then
        die 3 "psql (PostgreSQL client) is missing; install postgresql-client."
    fi
    if [[ $EUID -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
        die 3 "Running as root but there is no 'postgres' system user to own" \
            "the embedded cluster (PostgreSQL refuses to run as root)."
    fi

    _pg_choose_dir
    local data="$PG_DIR/data" sock="$PG_DIR/run" logfile="$PG_DIR/postgres.log"

    if [[ ! -f "$data/PG_VERSION" ]]; then
        log "Initialising the embedded PostgreSQL cluster in $PG_DIR"
        rm -rf "$data"
        # The bootstrap superuser is named "odoo" directly (SUPERUSER LOGIN);
        # trust auth is fine: the server only listens on 127.0.0.1 and on a
        # socket inside a 0700 directory.
        _pg_as_owner "$bindir/initdb" -D "$data" -U odoo --auth=trust \
            --encoding=UTF8 --no-locale >"$PG_DIR/initdb.log" 2>&1 || {
            cat "$PG_DIR/initdb.log" >&2
            die 3 "initdb failed in $PG_DIR"
        }
        _pg_as_owner mkdir -p "$sock"
        # Throwaway dev/test cluster: trade crash safety for speed.
        _pg_as_owner tee -a "$data/postgresql.conf" >/dev/null <<EOF

# --- ar_dispute_management embedded cluster ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$sock'
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    fi

    local port
    if _pg_as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        # Already running (possibly on a port chosen by an earlier run): the
        # 4th line of postmaster.pid is its port.
        port="$(sed -n 4p "$data/postmaster.pid")"
    else
        port="${AR_PG_PORT:-54329}"
        if [[ -z "${AR_PG_PORT:-}" ]]; then
            # The default port may be taken by another checkout's cluster:
            # try the next few ones.
            local tries=0
            while _port_busy "$port" && ((tries < 20)); do
                port=$((port + 1))
                tries=$((tries + 1))
            done
        fi
        if _port_busy "$port"; then
            die 3 "Port $port on 127.0.0.1 is already in use; set AR_PG_PORT."
        fi
        log "Starting the embedded PostgreSQL on 127.0.0.1:$port ($PG_DIR)"
        _pg_as_owner "$bindir/pg_ctl" -D "$data" -l "$logfile" -w -t 60 \
            -o "-p $port" start >/dev/null || {
            tail -n 30 "$logfile" >&2 || true
            die 3 "Could not start PostgreSQL (log: $logfile)"
        }
        AR_PG_STARTED=1
    fi

    export PGHOST=127.0.0.1 PGPORT="$port" PGUSER=odoo
    unset PGPASSWORD PGDATABASE
    if ! psql -X -q -w -d postgres -c 'select 1' >/dev/null; then
        die 3 "The embedded PostgreSQL on 127.0.0.1:$port does not accept role odoo"
    fi
    PG_BINDIR="$bindir"
    export AR_PG_DIR="$PG_DIR"
    log "PostgreSQL ready: 127.0.0.1:$port, user odoo (cluster $PG_DIR)"
}

# Stops the embedded cluster (used by CI to leave nothing running).
stop_embedded_postgres() {
    [[ -n "${PG_DIR:-}" && -n "${PG_BINDIR:-}" ]] || return 0
    _pg_as_owner "$PG_BINDIR/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
}

# Helpers around databases on the server chosen by ensure_postgres.
db_exists() {
    # psql only interpolates :'name' in commands read from stdin, not in -c.
    [[ "$(psql -X -A -t -w -d postgres -v name="$1" \
        <<<"select 1 from pg_database where datname = :'name'")" == 1 ]]
}

# Prints the ir_module_module state of addon $2 in database $1 (empty if none).
module_state() {
    psql -X -A -t -w -d "$1" -v name="$2" \
        <<<"select state from ir_module_module where name = :'name'" 2>/dev/null || true
}

# ---------------------------------------------------------------------------
# Odoo configuration
# ---------------------------------------------------------------------------

# write_odoo_conf FILE DB [WITHOUT_DEMO]: writes an Odoo config file for
# database DB on the server chosen by ensure_postgres. WITHOUT_DEMO is
# Odoo's without_demo value: "False" (load demo data, default) or "all".
write_odoo_conf() {
    local file="$1" db="$2" without_demo="${3:-False}"
    mkdir -p "$(dirname "$file")" "$LOCAL_DIR/data"
    cat >"$file" <<EOF
; Generated by scripts/lib.sh (write_odoo_conf); edits are overwritten.
[options]
db_host = ${PGHOST:-False}
db_port = ${PGPORT:-False}
db_user = ${PGUSER}
db_password = ${PGPASSWORD:-False}
db_name = $db
dbfilter = ^$db\$
list_db = False
addons_path = $ODOO_ADDONS_PATH
data_dir = $LOCAL_DIR/data
http_interface = 127.0.0.1
http_port = 8069
admin_passwd = $ODOO_ADMIN_PASSWD
without_demo = $without_demo
log_level = warn
EOF
}
