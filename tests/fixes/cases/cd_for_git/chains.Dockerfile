FROM debian:bookworm
# The common shape: clone, then check out a revision in the clone.
RUN git clone https://example.com/tool.git /opt/tool && cd /opt/tool && git checkout v1.2
# Several git commands; the cd on its own continued line; quotes kept.
RUN git clone --depth 50 "$REPO" /src && \
    cd "/src" && \
    git fetch origin "$REF" && \
    git checkout "$REF" 2>/dev/null
# Back out with `cd ..` from a plain folder name: it goes too.
RUN git clone https://example.com/lib.git && cd lib && git checkout 1.0 && cd .. && make -C lib
# In a subshell: the cd ends with it.
RUN git clone --depth 1 -b "$REF" https://example.com/app.git /app \
    || (git clone https://example.com/app.git /app && cd /app && git checkout "$REF")
# Ended by a cd to an absolute path.
RUN git clone https://example.com/x.git /x && cd /x && git submodule update --init && cd /usr/src && ls
# A trailing `;` ends the script.
RUN cd /opt && git clone https://example.com/y.git;
# The script of a heredoc, one line of it.
RUN <<EOF
set -e
git clone https://example.com/z.git /z && cd /z && git checkout v3
EOF
# A cd into a clone made after another cd: only the inner one becomes -C
# (the outer one is cd-workdir's: git -C /usr/src -C cgal would stack).
RUN cd /usr/src && git clone https://example.com/cgal.git && cd cgal && git checkout v5
