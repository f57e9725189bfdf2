package lsp

import "encoding/json"

func unmarshal(b json.RawMessage, v any) error { return json.Unmarshal(b, v) }
