# Messages printed before the cd print the same in the new folder: the RUN
# keeps them and only loses its `cd DIR &&`, instead of being split in two.
FROM ubuntu:24.04
ENV SDK=/opt/sdk
COPY . ${SDK}
RUN echo "## Install the SDK" \
    && cd ${SDK} \
    && ./sdk install latest \
    && echo '## Done'
# A variable in double quotes is neither split nor globbed: the same message.
RUN echo "## Activate $SDK" && mkdir -p /opt/work && cd /opt/work && make
# Unquoted and of no value the file gives, it could be a glob the shell
# matches against the folder's files: the RUN is split.
RUN echo Activating $TOOLS && mkdir -p /opt/tools && cd /opt/tools && make
# `|| true` after the cd would run the rest after a failed cd: left alone.
RUN echo "## Strip" && cd /opt/sdk && strip bin/* || true
CMD ["bash"]
