# settings: {"require-digest-for": ["registry.example.com/*"]}
FROM python:3.13-slim
FROM evil.com/registry.example.com/x:1
