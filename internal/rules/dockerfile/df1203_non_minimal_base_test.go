package dockerfile

import "testing"

func TestMinimalAdvice(t *testing.T) {
	cases := map[string]string{
		"node:22-bookworm":                 "node:22-slim or node:22-alpine",
		"node":                             "node:slim or node:alpine",
		"python:3.13-slim":                 "",
		"php:8.3-fpm":                      "php:8.3-fpm-alpine",
		"php:8.3-fpm-bookworm":             "php:8.3-fpm-alpine",
		"debian:12":                        "debian:12-slim or a distroless image",
		"debian":                           "debian:stable-slim or a distroless image",
		"openjdk:17-jdk":                   "eclipse-temurin:17-jre (the openjdk images are deprecated and ship a full JDK)",
		"eclipse-temurin:8u412-b08-jdk":    "eclipse-temurin:8-jre instead of the JDK",
		"eclipse-temurin:21-jre-noble":     "",
		"mcr.microsoft.com/dotnet/sdk:9.0": "mcr.microsoft.com/dotnet/aspnet:9.0 or mcr.microsoft.com/dotnet/runtime:9.0, publishing from an sdk build stage",
		"nginx:1.27":                       "",
		"rockylinux:9":                     "rockylinux:9-minimal",
		"ubuntu:24.04":                     "",
	}
	for ref, want := range cases {
		b, ok := parseBase(t, "FROM "+ref)
		if !ok {
			t.Fatalf("%s did not parse", ref)
		}
		if got := minimalAdvice(b); got != want {
			t.Errorf("minimalAdvice(%s) = %q, want %q", ref, got, want)
		}
	}
}
