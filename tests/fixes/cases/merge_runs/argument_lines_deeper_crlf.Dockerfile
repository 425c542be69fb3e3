FROM python:3.12-slim
RUN pip install --no-cache-dir \
    torch==2.7.0 \
    --index-url https://download.pytorch.org/whl/cpu

# the other packages
RUN pip install --no-cache-dir \
    transformers \
    accelerate
