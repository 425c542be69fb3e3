# CRLF endings: the official images' way to build from source: a tarball downloaded into
# the folder the RUN starts in under a plain name, checked, unpacked into
# the build folder and removed, then a cd into that folder. The tarball only
# passes through whichever folder the RUN starts in, so the WORKDIR goes
# above the whole RUN, which keeps its cleanup in its one layer.
FROM erlang:26
ENV TOOL_VERSION="v1.4.2@abc123" \
	LANG=C.UTF-8
RUN set -xe \
	&& TOOL_DOWNLOAD_URL="https://example.com/tool/archive/${TOOL_VERSION#*@}.tar.gz" \
	&& TOOL_DOWNLOAD_SHA256="5f1c2e0d" \
	&& curl -fSL -o tool-src.tar.gz $TOOL_DOWNLOAD_URL \
	&& echo "$TOOL_DOWNLOAD_SHA256  tool-src.tar.gz" | sha256sum -c - \
	&& mkdir -p /usr/local/src/tool \
	&& tar -xzC /usr/local/src/tool --strip-components=1 -f tool-src.tar.gz \
	&& rm tool-src.tar.gz \
	&& cd /usr/local/src/tool \
	&& make -j$(nproc) \
	&& make install clean
# refused: the tarball is kept, or unpacked into the folder the RUN starts in
RUN curl -fSL -o lib.tar.gz https://example.com/lib.tar.gz \
	&& tar -xzC /usr/local/src --strip-components=1 -f lib.tar.gz \
	&& cd /usr/local/src/lib && make install clean
RUN curl -fSL -o lib.tar.gz https://example.com/lib.tar.gz \
	&& tar -xzf lib.tar.gz && rm lib.tar.gz \
	&& cd lib && make install clean
CMD ["tool"]
