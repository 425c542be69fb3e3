FROM debian:trixie
# apt 2.7+: dist-clean removes the package lists too, nothing to add
RUN apt-get update && apt-get install -y --no-install-recommends curl && apt-get dist-clean
# plain clean keeps the lists: they go
RUN apt-get update && apt-get install -y --no-install-recommends git && apt-get clean
# apt 3.0+: install --update refreshes the lists itself
RUN apt-get install --update -y --no-install-recommends jq && apt-get dist-clean
RUN apt-get install --update -y --no-install-recommends vim
