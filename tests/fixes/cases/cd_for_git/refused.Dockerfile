FROM debian:bookworm
# A command that is not git runs in the folder.
RUN git clone https://example.com/a.git /a && cd /a && git checkout v1 && make
# A relative redirection: the shell writes it in the folder it is in.
RUN git clone https://example.com/b.git /b && cd /b && git log -1 > commit.txt
# A glob: the shell expands it in its folder.
RUN git clone https://example.com/c.git /c && cd /c && git am patches/*.patch
# After `||`: the git commands may run where the cd never went.
RUN test -d /d || cd /d && git pull
# Joined by `;`: a failed cd would leave git in another folder.
RUN cd /e; git pull
# $PWD and command substitutions read the shell's folder.
RUN git clone https://example.com/f.git /f && cd /f && git checkout "$(cat VERSION)"
# `cd ..` back from a path of several folders.
RUN git clone https://example.com/g.git src/g && cd src/g && git checkout v1 && cd .. && ls
# A comment line where the cd would go.
RUN git clone https://example.com/h.git /h && \
    cd /h && \
# pin it
    git checkout v2
# `cd -` after `cd ..` reads the folder the cd left.
RUN git clone https://example.com/i.git && cd i && git checkout v1 && cd .. && cd - && ls
# The folder is a command substitution.
RUN cd "$(mktemp -d)" && git init
