FROM scratch
# want DF1802 "ENTRYPOINT is overridden by the ENTRYPOINT on line 4"
ENTRYPOINT ["/myapp"]
ENTRYPOINT ["/myotherapp"]
# want DF1802 "CMD is overridden by the CMD on line 7"
CMD ["/myapp"]
CMD ["/myotherapp"]
# want DF1802 "HEALTHCHECK is overridden"
HEALTHCHECK CMD ["/myapp"]
# want DF1802 "HEALTHCHECK is overridden by the HEALTHCHECK on line 12"
HEALTHCHECK NONE
HEALTHCHECK CMD ["/myotherapp"]
