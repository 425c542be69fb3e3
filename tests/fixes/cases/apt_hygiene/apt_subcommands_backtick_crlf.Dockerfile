# escape=`
FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends curl `
    # tidy up with apt: apt-get runs these alike
    && apt autoremove -y && apt clean `
    && rm -rf /var/lib/apt/lists/*
run apt remove -y python3-pip && apt -y purge vim
# apt upgrade installs new dependencies: apt-get upgrade does with --with-new-pkgs
RUN apt upgrade -y
