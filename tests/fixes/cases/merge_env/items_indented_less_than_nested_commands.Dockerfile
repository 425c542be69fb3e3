FROM python:3.12-slim
ARG WITH_EXTRAS
RUN pip install --no-cache-dir \
      --extra-index-url https://download.pytorch.org/whl/cpu \
      torch
RUN \
      if [ -n "$WITH_EXTRAS" ]; then \
            apt-get update \
            && apt-get install -y --no-install-recommends graphviz \
            && rm -rf /var/lib/apt/lists/* \
            && pip install --no-cache-dir pygraphviz; \
      fi
ENV PATH=/opt/tools/bin:$PATH
ENV PYTHONPATH=/opt/tools/lib
