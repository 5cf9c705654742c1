/** The commented config.yaml written on first run. Every value here is also the built-in default. */
export const defaultConfigYaml = `# Switchyard configuration. Key names follow CLIProxyAPI, so its config.yaml loads as is.
# Saving this file applies the change within a second; an invalid edit is reported and ignored.

# Address and port of the local API. Keep host on loopback unless api-keys is set.
host: 127.0.0.1
port: 8317

# Keys your tools must send (Authorization: Bearer, x-api-key, x-goog-api-key or ?key=).
# Empty = open, allowed only on a loopback host.
api-keys: []

# How to spread requests over accounts: round-robin | fill-first | weighted-round-robin
routing:
  strategy: round-robin

# Extra passes over the accounts when all failed, and the longest wait (seconds) for a cooldown.
request-retry: 3
max-retry-interval: 30
max-retry-credentials: 0
disable-cooling: false

# Where account tokens live: keychain (OS keychain) or file (JSON files in auth-dir).
# secret-store: file
# auth-dir: ~/.switchyard/auth

# Request history for charts (SQLite in the data directory).
usage-sqlite:
  enable: true

# OpenAI-compatible upstreams (OpenRouter, a local server, ...):
# openai-compatibility:
#   - name: openrouter
#     base-url: https://openrouter.ai/api/v1
#     api-key: sk-or-...
#     models:
#       - name: moonshotai/kimi-k2
#         alias: kimi

# Management API and the web panel at /ui/ (key required):
# remote-management:
#   secret-key: change-me
#   allow-remote: false
`;
