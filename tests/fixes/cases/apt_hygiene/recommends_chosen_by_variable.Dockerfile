# The RUN chooses whether to install recommends with a variable (on some
# releases only): its installs get no --no-install-recommends, the finding
# says why. A RUN that does not gets it as usual.
FROM ubuntu:20.04
ARG RELEASE=20.04
RUN if [ "${RELEASE}" = "24.04" ]; then \
        noInstallRecommends="--no-install-recommends"; \
    fi && \
    apt-get update && apt-get install -y $noInstallRecommends \
        build-essential \
        python3 && \
    apt-get install -y git && \
    rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -y jq && rm -rf /var/lib/apt/lists/*
CMD ["bash"]
