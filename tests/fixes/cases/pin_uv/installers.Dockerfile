FROM python:3.12
RUN pip install uv
RUN pip install --no-cache-dir uv==0.4.0 && uv --version
RUN curl -LsSf https://astral.sh/uv/install.sh | sh
RUN cd /tmp \
 && curl -LsSf https://astral.sh/uv/install.sh | sh
RUN cd /tmp && curl -LsSf https://astral.sh/uv/install.sh | sh && uv --version
RUN pip install uvicorn
