package io.ipc4j.core.internal;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import io.ipc4j.core.Limits;

/**
 * Builds the one Jackson configuration that every ipc4j peer uses: limits set explicitly, no
 * default typing, class-name type ids refused, java.time as ISO strings, integers as Long.
 */
public final class Mappers {
  private Mappers() {}

  /** A JSON mapper bounded by {@code limits}. */
  public static ObjectMapper json(Limits limits) {
    return configure(new ObjectMapper(new JsonFactoryBuilder()
        .streamReadConstraints(readConstraints(limits))
        .streamWriteConstraints(writeConstraints(limits))
        .build()));
  }

  /** A CBOR mapper bounded by {@code limits}. */
  public static ObjectMapper cbor(Limits limits) {
    return configure(new ObjectMapper(CBORFactory.builder()
        .streamReadConstraints(readConstraints(limits))
        .streamWriteConstraints(writeConstraints(limits))
        .build()));
  }

  private static StreamReadConstraints readConstraints(Limits limits) {
    return StreamReadConstraints.builder()
        .maxNestingDepth(limits.maxDepth())
        .maxStringLength(limits.maxStringLength())
        .maxNumberLength(limits.maxNumberLength())
        .maxDocumentLength(limits.maxMessageSize())
        .build();
  }

  private static StreamWriteConstraints writeConstraints(Limits limits) {
    return StreamWriteConstraints.builder().maxNestingDepth(limits.maxDepth()).build();
  }

  private static ObjectMapper configure(ObjectMapper mapper) {
    return mapper
        .registerModule(new Jdk8Module())
        .registerModule(new JavaTimeModule())
        .registerModule(new ParameterNamesModule())
        // @JsonTypeInfo(use = CLASS) would let a peer name a class to instantiate: refuse them all.
        .setPolymorphicTypeValidator(BasicPolymorphicTypeValidator.builder().build())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
        .enable(DeserializationFeature.USE_LONG_FOR_INTS)
        // 1.5 must not become 1 when a method takes an int.
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }
}
