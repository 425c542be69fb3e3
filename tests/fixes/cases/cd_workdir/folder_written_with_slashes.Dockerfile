# A folder the cd names with a doubled or final slash (`/svc/vlm//src/` from
# a variable ending in `/`): the WORKDIR keeps the word as written, which
# BuildKit keeps as written too; it is the same folder.
FROM ubuntu:22.04
COPY . /svc/vlm/
WORKDIR /svc/vlm/
ENV WORK_DIR /svc/vlm/
RUN cd ${WORK_DIR}/src/ && \
    git clone https://example.com/utils.git && \
    cp -r ${WORK_DIR}/src/overlay/* ${WORK_DIR}/src/utils
RUN ln -s /dev/null /tmp/null.mp4
CMD ["/svc/vlm/start.sh"]
