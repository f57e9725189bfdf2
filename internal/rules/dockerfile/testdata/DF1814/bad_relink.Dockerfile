FROM debian:12
# want DF1814 "ln /bin/bash /bin/sh replaces the system /bin/sh"
RUN ln -sfv /bin/bash /bin/sh
# want DF1814 "ln bash /bin/sh"
RUN rm /bin/sh && \
    ln -s bash /bin/sh
# want DF1814 "dpkg-reconfigure dash"
RUN echo "dash dash/sh boolean false" | debconf-set-selections && DEBIAN_FRONTEND=noninteractive dpkg-reconfigure dash
# want DF1814 "cp /bin/bash /bin/sh"
RUN cp /bin/bash /bin/sh
