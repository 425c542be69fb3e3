install_tool () {
    apt-get -qy update
    apt-get install -y --no-install-recommends cmake
    rm -rf /var/lib/apt/lists/*
}
install_tool
