# escape=`
from debian:12
workdir /moby
run set -eux; `
  # fetch it
	mkdir engine; `
	cd engine; `
	make
run set -eux; `
	cd engine; `
	make binary; `
  # then check it
	make check
run set -eux; `
	cd engine; `
  # the comment stays
	make
copy . .