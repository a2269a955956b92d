#ifndef SLAREPORT_YAML_EVENTS_H
#define SLAREPORT_YAML_EVENTS_H

#include <stddef.h>

/* The events of a YAML text, as libyaml's parser reports them, reduced to what the configuration needs. Yams compiles
   libyaml in; the configuration is composed from these events into its own small nodes (YAMLTree.swift), which also
   refuses what would make composing hang or expand without bound. */

typedef enum {
    SLAREPORT_YAML_END = 0,        /* the end of the stream */
    SLAREPORT_YAML_SCALAR,
    SLAREPORT_YAML_SEQUENCE_START,
    SLAREPORT_YAML_SEQUENCE_END,
    SLAREPORT_YAML_MAPPING_START,
    SLAREPORT_YAML_MAPPING_END,
    SLAREPORT_YAML_ALIAS,
    SLAREPORT_YAML_OTHER,          /* stream and document boundaries */
    SLAREPORT_YAML_ERROR           /* the text is not YAML; Yams reports why */
} slareport_yaml_kind;

typedef struct {
    slareport_yaml_kind kind;
    /* For an alias, the anchor it names; for a scalar, sequence or mapping, its own anchor or NULL.
       Valid until the next call. */
    const char *anchor;
    /* Where the event starts: 1-based line and column. */
    size_t line;
    size_t column;
    /* A scalar's text (UTF-8, `length` bytes; it may hold a NUL) and whether it was written plain (unquoted, not a
       block scalar). Valid until the next call. */
    const unsigned char *value;
    size_t length;
    int plain;
} slareport_yaml_event;

typedef struct slareport_yaml_reader slareport_yaml_reader;

/* A reader over `length` bytes of UTF-8 at `text`, which must stay valid until it is closed; NULL without memory. */
slareport_yaml_reader *slareport_yaml_open(const unsigned char *text, size_t length);
/* The next event; after END or ERROR, the same again. */
slareport_yaml_event slareport_yaml_next(slareport_yaml_reader *reader);
void slareport_yaml_close(slareport_yaml_reader *reader);

#endif
