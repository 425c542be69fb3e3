FROM python:3.12-slim
WORKDIR /opt/runner/
COPY . .
# `cd ..` back to where the RUN started: it cannot fail, and nothing follows it
RUN cd ./test-setup/ && make install && cd ..
RUN cd tools && ./build.sh && cd ../..
ENTRYPOINT ["/opt/runner/bin/run.sh"]
