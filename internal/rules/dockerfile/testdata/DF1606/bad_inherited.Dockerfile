FROM debian:12 AS fetch
RUN wget -qO /opt/big.iso https://example.com/big.iso

FROM fetch
# want DF1606 "deletes /opt/big.iso, which `wget -O` at line 2 added"
RUN rm -f /opt/big.iso
