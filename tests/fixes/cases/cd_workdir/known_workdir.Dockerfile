FROM python:3.12-slim
WORKDIR /app
RUN cd /tmp && curl -fsSLO https://example.com/tool.tar.gz && tar -xzf tool.tar.gz
# build it where it was unpacked
RUN mkdir -p /opt/build && cd /opt/build && cmake /tmp/tool && make install
RUN cd src && python -m compileall .
COPY . .
ENV PORT=8000
CMD ["python", "-m", "app"]
