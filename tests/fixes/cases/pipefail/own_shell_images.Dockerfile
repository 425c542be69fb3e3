# cimg/* sets SHELL ["/bin/bash", "-exo", "pipefail", "-c"]: its RUNs have
# pipefail already; the same SHELL is written out (hadolint cannot see it),
# which changes no RUN and keeps -e and -x.
FROM cimg/python:3.12 AS tool
RUN curl -fsSL https://example.com/tool.tar.gz | sudo tar -xz -C /usr/local/bin
CMD ["tool"]

# A stage built FROM it inherits that shell too.
FROM tool AS checks
RUN tool --list | grep -q ready

# Jupyter's images set bash -o pipefail; a base image (no CMD): the config's
# shell stays the one it had.
FROM quay.io/jupyter/base-notebook:latest
RUN pip list | grep -i numpy > /tmp/numpy.txt
