from --platform=linux/arm64 alpine
run true