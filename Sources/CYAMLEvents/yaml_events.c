#include "yaml_events.h"

#include <stdlib.h>
#include <string.h>

/* The part of libyaml's API (0.2.5, as Yams 6.2.2 vendors it in its CYaml target) this file calls. Its header is not
   reachable from another package's target, so the calls are declared here: the parser is opaque (a buffer larger
   than yaml_parser_t, which is 480 bytes on 64-bit platforms), the event is libyaml's `yaml_event_t` as declared in
   yaml.h. The static assertion below and YAMLTreeTests check the layout against the library's behaviour. */
typedef struct { size_t index, line, column; } ly_mark;

typedef struct {
    int type;  /* yaml_event_type_t */
    union {
        struct { int encoding; } stream_start;
        struct { void *version_directive; struct { void *start, *end; } tag_directives; int implicit; } document_start;
        struct { int implicit; } document_end;
        struct { unsigned char *anchor; } alias;
        struct { unsigned char *anchor, *tag, *value; size_t length; int plain_implicit, quoted_implicit, style; } scalar;
        struct { unsigned char *anchor, *tag; int implicit, style; } sequence_start;
        struct { unsigned char *anchor, *tag; int implicit, style; } mapping_start;
    } data;
    ly_mark start_mark, end_mark;
} ly_event;

#if defined(__LP64__)
_Static_assert(sizeof(ly_event) == 104, "yaml_event_t is 104 bytes on LP64 platforms");
#endif

enum {
    LY_NO_EVENT, LY_STREAM_START, LY_STREAM_END, LY_DOCUMENT_START, LY_DOCUMENT_END, LY_ALIAS, LY_SCALAR,
    LY_SEQUENCE_START, LY_SEQUENCE_END, LY_MAPPING_START, LY_MAPPING_END
};

int yaml_parser_initialize(void *parser);
void yaml_parser_delete(void *parser);
void yaml_parser_set_input_string(void *parser, const unsigned char *input, size_t size);
int yaml_parser_parse(void *parser, ly_event *event);
void yaml_event_delete(ly_event *event);

struct slareport_yaml_reader {
    _Alignas(16) unsigned char parser[2048];
    ly_event event;
    int has_event;
    int finished;                     /* set once the stream ended or failed */
    slareport_yaml_kind finished_kind;  /* END or ERROR, repeated by every later call */
};

slareport_yaml_reader *slareport_yaml_open(const unsigned char *text, size_t length) {
    slareport_yaml_reader *reader = calloc(1, sizeof *reader);
    if (!reader) return NULL;
    if (!yaml_parser_initialize(reader->parser)) {
        free(reader);
        return NULL;
    }
    yaml_parser_set_input_string(reader->parser, text, length);
    return reader;
}

slareport_yaml_event slareport_yaml_next(slareport_yaml_reader *reader) {
    slareport_yaml_event out = {SLAREPORT_YAML_ERROR, NULL, 0, 0, NULL, 0, 0};
    if (reader->has_event) {
        yaml_event_delete(&reader->event);
        reader->has_event = 0;
    }
    if (reader->finished) {
        out.kind = reader->finished_kind;
        return out;
    }
    if (!yaml_parser_parse(reader->parser, &reader->event)) {
        reader->finished = 1;
        reader->finished_kind = SLAREPORT_YAML_ERROR;
        return out;
    }
    reader->has_event = 1;
    out.line = reader->event.start_mark.line + 1;
    out.column = reader->event.start_mark.column + 1;
    switch (reader->event.type) {
    case LY_SCALAR:
        out.kind = SLAREPORT_YAML_SCALAR;
        out.anchor = (const char *)reader->event.data.scalar.anchor;
        out.value = reader->event.data.scalar.value;
        out.length = reader->event.data.scalar.length;
        out.plain = reader->event.data.scalar.style == 1;  /* YAML_PLAIN_SCALAR_STYLE */
        break;
    case LY_SEQUENCE_START:
        out.kind = SLAREPORT_YAML_SEQUENCE_START;
        out.anchor = (const char *)reader->event.data.sequence_start.anchor;
        break;
    case LY_SEQUENCE_END: out.kind = SLAREPORT_YAML_SEQUENCE_END; break;
    case LY_MAPPING_START:
        out.kind = SLAREPORT_YAML_MAPPING_START;
        out.anchor = (const char *)reader->event.data.mapping_start.anchor;
        break;
    case LY_MAPPING_END: out.kind = SLAREPORT_YAML_MAPPING_END; break;
    case LY_ALIAS:
        out.kind = SLAREPORT_YAML_ALIAS;
        out.anchor = (const char *)reader->event.data.alias.anchor;
        break;
    case LY_STREAM_END:
        reader->finished = 1;
        reader->finished_kind = SLAREPORT_YAML_END;
        out.kind = SLAREPORT_YAML_END;
        break;
    default: out.kind = SLAREPORT_YAML_OTHER; break;
    }
    return out;
}

void slareport_yaml_close(slareport_yaml_reader *reader) {
    if (!reader) return;
    if (reader->has_event) yaml_event_delete(&reader->event);
    yaml_parser_delete(reader->parser);
    free(reader);
}
