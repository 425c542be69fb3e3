FROM rockylinux:9
RUN dnf install -y python3 && dnf clean all
COPY app.py /opt/
CMD ["python3", "/opt/app.py"]
