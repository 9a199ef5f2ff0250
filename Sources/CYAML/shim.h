// libyaml (Debian libyaml-dev): the YAML 1.1 parser that Yams and PyYAML wrap. Only the document
// loader API is used (yaml_parser_load), see BridgeConfiguration/YAMLDocument.swift.
#include <yaml.h>
