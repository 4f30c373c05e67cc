# Shared set-up for scripts/run and scripts/test: a venv in .venv with the project installed.
# Installs only what is missing, so a second run is quick.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

apt_missing=()
need_deb() {
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || apt_missing+=("$pkg")
    done
}
install_debs() {
    if [ ${#apt_missing[@]} -gt 0 ]; then
        echo "== installing Debian packages: ${apt_missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${apt_missing[@]}" >/dev/null
    fi
}

ensure_venv() {
    local extras=$1
    if [ ! -x .venv/bin/python ]; then
        echo "== creating .venv"
        python3 -m venv .venv
    fi
    local stamp=".venv/.installed-$extras"
    if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
        echo "== installing Python packages ($extras), versions from constraints.txt"
        .venv/bin/python -m pip install -q --upgrade pip
        .venv/bin/python -m pip install -q -c constraints.txt -e ".[$extras]"
        touch "$stamp"
    fi
}
