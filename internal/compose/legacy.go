package compose

// liftV1 rewrites the services of a legacy (version 1) compose file, given
// as decoded values, into the keys of the compose specification, as
// docker-compose 1.x read them: `net` is `network_mode`, `log_driver` and
// `log_opt` are `logging`, `dockerfile` beside `build: <path>` is
// `build.dockerfile`, and `volume_driver` (which applied to the service's
// anonymous volumes) has no equivalent and is dropped. A v1 file that uses
// them loads as docker-compose loaded it instead of failing the schema
// (RT1000). The YAML keeps its own keys for positions.
func liftV1(services map[string]any) {
	for _, v := range services {
		s, ok := v.(map[string]any)
		if !ok {
			continue
		}
		if net, ok := s["net"]; ok {
			if _, set := s["network_mode"]; !set {
				s["network_mode"] = net
			}
			delete(s, "net")
		}
		liftLogging(s)
		if df, ok := s["dockerfile"]; ok {
			switch b := s["build"].(type) {
			case string:
				s["build"] = map[string]any{"context": b, "dockerfile": df}
			case map[string]any:
				if _, set := b["dockerfile"]; !set {
					b["dockerfile"] = df
				}
			}
			delete(s, "dockerfile")
		}
		delete(s, "volume_driver")
	}
}

// liftLogging turns v1's log_driver and log_opt into a logging block.
func liftLogging(s map[string]any) {
	drv, hasDrv := s["log_driver"]
	opt, hasOpt := s["log_opt"]
	if !hasDrv && !hasOpt {
		return
	}
	delete(s, "log_driver")
	delete(s, "log_opt")
	if _, set := s["logging"]; set {
		return
	}
	lg := map[string]any{}
	if hasDrv {
		lg["driver"] = drv
	}
	if hasOpt {
		lg["options"] = opt
	}
	s["logging"] = lg
}
