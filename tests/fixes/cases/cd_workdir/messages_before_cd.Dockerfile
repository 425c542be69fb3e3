# Messages printed before the cd print the same in the new folder: the RUN
# keeps them and only loses its `cd DIR &&`, instead of being split in two.
FROM ubuntu:24.04
ENV SDK=/opt/sdk
COPY . ${SDK}
RUN echo "## Install the SDK" \
    && cd ${SDK} \
    && ./sdk install latest \
    && echo '## Done'
# A message with a variable is not fixed text: the RUN is split as before.
RUN echo "## Activate $SDK" && mkdir -p /opt/work && cd /opt/work && make
# `|| true` after the cd would run the rest after a failed cd: left alone.
RUN echo "## Strip" && cd /opt/sdk && strip bin/* || true
CMD ["bash"]
