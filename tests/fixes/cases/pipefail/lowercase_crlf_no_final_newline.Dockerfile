from fedora:40
run dnf -y install curl
run curl -fsSL https://example.com/x \
    | sh
cmd ["app"]