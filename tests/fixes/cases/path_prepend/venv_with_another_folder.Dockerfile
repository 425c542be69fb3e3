FROM python:3.12-slim
ENV VIRTUAL_ENV=/opt/venv
RUN python -m venv /opt/venv
ENV PATH="$PATH:/opt/venv/bin:/opt/tools/bin"
ENV PATH=$PATH:/usr/local/go/bin
CMD ["python", "-m", "app"]
