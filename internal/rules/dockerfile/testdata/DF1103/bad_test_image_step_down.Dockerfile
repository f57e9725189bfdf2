FROM ruby:3.3
RUN useradd -m discourse
# A CI image (its command runs the test suite) is not deployed.
# want DF1103 "sudo -u discourse bundle uses sudo only to step down" severity=low
RUN sudo -u discourse bundle install
CMD ["/run-tests.sh"]
