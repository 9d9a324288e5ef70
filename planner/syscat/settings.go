package syscat

// pg_settings: the session's settings with PostgreSQL 15's metadata.

import (
	"sort"
	"strconv"
	"strings"
)

// settingInfo is the static part of a pg_settings row.
type settingInfo struct {
	name     string // PostgreSQL's spelling (DateStyle, TimeZone, ...)
	unit     string
	category string
	context  string
	vartype  string
	min, max string
	enumvals string // comma-separated
	boot     string
}

// settingInfos describes the settings Aspen knows, by lower-case name.
var settingInfos = map[string]settingInfo{
	"application_name":                    {"application_name", "", "Reporting and Logging / What to Log", "user", "string", "", "", "", ""},
	"bytea_output":                        {"bytea_output", "", "Client Connection Defaults / Statement Behavior", "user", "enum", "", "", "escape,hex", "hex"},
	"client_encoding":                     {"client_encoding", "", "Client Connection Defaults / Locale and Formatting", "user", "string", "", "", "", "SQL_ASCII"},
	"client_min_messages":                 {"client_min_messages", "", "Client Connection Defaults / Statement Behavior", "user", "enum", "", "", "debug5,debug4,debug3,debug2,debug1,log,notice,warning,error", "notice"},
	"datestyle":                           {"DateStyle", "", "Client Connection Defaults / Locale and Formatting", "user", "string", "", "", "", "ISO, MDY"},
	"default_transaction_isolation":       {"default_transaction_isolation", "", "Client Connection Defaults / Statement Behavior", "user", "enum", "", "", "serializable,repeatable read,read committed,read uncommitted", "read committed"},
	"default_transaction_read_only":       {"default_transaction_read_only", "", "Client Connection Defaults / Statement Behavior", "user", "bool", "", "", "", "off"},
	"enable_seqscan":                      {"enable_seqscan", "", "Query Tuning / Planner Method Configuration", "user", "bool", "", "", "", "on"},
	"extra_float_digits":                  {"extra_float_digits", "", "Client Connection Defaults / Locale and Formatting", "user", "integer", "-15", "3", "", "1"},
	"geqo":                                {"geqo", "", "Query Tuning / Genetic Query Optimizer", "user", "bool", "", "", "", "on"},
	"idle_in_transaction_session_timeout": {"idle_in_transaction_session_timeout", "ms", "Client Connection Defaults / Statement Behavior", "user", "integer", "0", "2147483647", "", "0"},
	"idle_session_timeout":                {"idle_session_timeout", "ms", "Client Connection Defaults / Statement Behavior", "user", "integer", "0", "2147483647", "", "0"},
	"integer_datetimes":                   {"integer_datetimes", "", "Preset Options", "internal", "bool", "", "", "", "on"},
	"intervalstyle":                       {"IntervalStyle", "", "Client Connection Defaults / Locale and Formatting", "user", "enum", "", "", "postgres,postgres_verbose,sql_standard,iso_8601", "postgres"},
	"jit":                                 {"jit", "", "Query Tuning / Other Planner Options", "user", "bool", "", "", "", "on"},
	"lc_collate":                          {"lc_collate", "", "Preset Options", "internal", "string", "", "", "", "C"},
	"lc_ctype":                            {"lc_ctype", "", "Preset Options", "internal", "string", "", "", "", "C"},
	"lc_messages":                         {"lc_messages", "", "Client Connection Defaults / Locale and Formatting", "superuser", "string", "", "", "", ""},
	"lc_monetary":                         {"lc_monetary", "", "Client Connection Defaults / Locale and Formatting", "user", "string", "", "", "", "C"},
	"lc_numeric":                          {"lc_numeric", "", "Client Connection Defaults / Locale and Formatting", "user", "string", "", "", "", "C"},
	"lc_time":                             {"lc_time", "", "Client Connection Defaults / Locale and Formatting", "user", "string", "", "", "", "C"},
	"lock_timeout":                        {"lock_timeout", "ms", "Client Connection Defaults / Statement Behavior", "user", "integer", "0", "2147483647", "", "0"},
	"max_connections":                     {"max_connections", "", "Connections and Authentication / Connection Settings", "postmaster", "integer", "1", "262143", "", "100"},
	"max_identifier_length":               {"max_identifier_length", "", "Preset Options", "internal", "integer", "63", "63", "", "63"},
	"max_index_keys":                      {"max_index_keys", "", "Preset Options", "internal", "integer", "32", "32", "", "32"},
	"row_security":                        {"row_security", "", "Client Connection Defaults / Statement Behavior", "user", "bool", "", "", "", "on"},
	"search_path":                         {"search_path", "", "Client Connection Defaults / Statement Behavior", "user", "string", "", "", "", "\"$user\", public"},
	"server_encoding":                     {"server_encoding", "", "Preset Options", "internal", "string", "", "", "", "SQL_ASCII"},
	"server_version":                      {"server_version", "", "Preset Options", "internal", "string", "", "", "", ""},
	"server_version_num":                  {"server_version_num", "", "Preset Options", "internal", "integer", "", "", "", ""},
	"standard_conforming_strings":         {"standard_conforming_strings", "", "Version and Platform Compatibility / Previous PostgreSQL Versions", "user", "bool", "", "", "", "on"},
	"statement_timeout":                   {"statement_timeout", "ms", "Client Connection Defaults / Statement Behavior", "user", "integer", "0", "2147483647", "", "0"},
	"synchronous_commit":                  {"synchronous_commit", "", "Write-Ahead Log / Settings", "user", "enum", "", "", "local,remote_write,remote_apply,on,off", "on"},
	"temp_file_limit":                     {"temp_file_limit", "kB", "Resource Usage / Disk", "superuser", "integer", "-1", "2147483647", "", "-1"},
	"timezone":                            {"TimeZone", "", "Client Connection Defaults / Locale and Formatting", "user", "string", "", "", "", "GMT"},
	"transaction_isolation":               {"transaction_isolation", "", "Client Connection Defaults / Statement Behavior", "user", "enum", "", "", "serializable,repeatable read,read committed,read uncommitted", "read committed"},
	"transaction_read_only":               {"transaction_read_only", "", "Client Connection Defaults / Statement Behavior", "user", "bool", "", "", "", "off"},
	"work_mem":                            {"work_mem", "kB", "Resource Usage / Memory", "user", "integer", "64", "2147483647", "", "4096"},
}

// hiddenSettings are settings SHOW knows that pg_settings does not list.
var hiddenSettings = map[string]bool{"is_superuser": true, "session_authorization": true}

// Setting returns the value of a setting by name (any case), as
// current_setting reports it, and whether it exists.
func (s *Snapshot) Setting(name string) (string, bool) {
	for _, st := range s.Settings {
		if strings.EqualFold(st.Name, name) {
			return st.Value, true
		}
	}
	return "", false
}

// pgSettingsRows builds pg_settings.
func pgSettingsRows(s *Snapshot) []rec {
	var out []rec
	for _, st := range s.Settings {
		key := strings.ToLower(st.Name)
		if hiddenSettings[key] {
			continue
		}
		info, ok := settingInfos[key]
		if !ok {
			info = settingInfo{name: key, category: "Customized Options", context: "user", vartype: "string"}
		}
		value := settingBaseValue(st.Value, info.unit)
		r := rec{
			"name": info.name, "setting": value, "category": info.category, "short_desc": "",
			"context": info.context, "vartype": info.vartype, "source": "default",
			"boot_val": info.boot, "reset_val": value, "pending_restart": false,
		}
		if info.boot == "" && (key == "server_version" || key == "server_version_num") {
			r["boot_val"] = value
		}
		if info.unit != "" {
			r["unit"] = info.unit
		}
		if info.min != "" {
			r["min_val"], r["max_val"] = info.min, info.max
		}
		if info.enumvals != "" {
			r["enumvals"] = strings.Split(info.enumvals, ",")
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i]["name"].(string) < out[j]["name"].(string) })
	return out
}

// settingBaseValue converts a value with a unit suffix ("4MB", "5s") to
// the setting's base unit, as pg_settings.setting shows it.
func settingBaseValue(v, unit string) string {
	if unit == "" {
		return v
	}
	t := strings.TrimSpace(v)
	i := 0
	for i < len(t) && (t[i] >= '0' && t[i] <= '9' || t[i] == '-' || t[i] == '.') {
		i++
	}
	n, err := strconv.ParseFloat(t[:i], 64)
	if err != nil {
		return v
	}
	suffix := strings.TrimSpace(t[i:])
	if suffix == "" {
		return v
	}
	mult := map[string]float64{}
	switch unit {
	case "kB":
		mult = map[string]float64{"B": 1.0 / 1024, "kB": 1, "MB": 1024, "GB": 1024 * 1024, "TB": 1024 * 1024 * 1024}
	case "ms":
		mult = map[string]float64{"us": 0.001, "ms": 1, "s": 1000, "min": 60000, "h": 3600000, "d": 86400000}
	}
	m, ok := mult[suffix]
	if !ok {
		return v
	}
	return strconv.FormatInt(int64(n*m), 10)
}
