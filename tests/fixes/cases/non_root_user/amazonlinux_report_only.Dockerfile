FROM amazonlinux:2023
RUN dnf install -y python3
CMD ["python3", "-m", "http.server"]
