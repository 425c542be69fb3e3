FROM python:3.12
RUN <<EOF
source /opt/venv/bin/activate
EOF
RUN ["/bin/sh", "-c", "source /opt/venv/bin/activate"]
RUN echo "source /x/bin/activate"
RUN source $VENV/bin/activate
