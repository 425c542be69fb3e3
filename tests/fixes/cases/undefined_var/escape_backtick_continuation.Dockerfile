# escape=`
FROM scratch
ENV A=`$NOT_A_VAR B=$MISSING
COPY a `
  # comment
  $DEST
