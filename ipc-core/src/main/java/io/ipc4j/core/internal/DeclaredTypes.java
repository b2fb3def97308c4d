package io.ipc4j.core.internal;

import com.fasterxml.jackson.databind.AnnotationIntrospector;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.NopAnnotationIntrospector;
import com.fasterxml.jackson.databind.type.TypeFactory;

/**
 * The rule by which a result is written: as the type its method declares, so that a value declared
 * as an interface or a base class sends only that type's properties, never those its runtime class
 * adds (a {@code passwordHash} behind a {@code Named}). The rule holds for the result, the elements
 * of its collections, arrays, maps and {@code Optional}s, and the properties of the beans and
 * records written, each by the type of the member that holds it.
 *
 * <p>Types that promise no properties are written by the value's runtime class, as Jackson does:
 * {@code Object}, and the JDK's (and Jackson's) interfaces and open classes, such as {@code
 * Number}, {@code CharSequence}, {@code Temporal} or {@code JsonNode}.
 */
final class DeclaredTypes {
  private DeclaredTypes() {}

  /**
   * The type to write a value declared as {@code declared} as: the same, with every type that
   * promises nothing (see the class) replaced by {@code Object}.
   */
  static JavaType writtenAs(JavaType declared) {
    if (declared.isArrayType() || declared.isContainerType() || declared.isReferenceType()) {
      // Map keys are written as text by their key serializers; only contents are rewritten.
      JavaType content = declared.getContentType();
      return content == null ? declared : declared.withContentType(writtenAs(content));
    }
    return promisesNothing(declared) ? TypeFactory.unknownType() : declared;
  }

  /**
   * {@code mapper} for results: a copy whose bean and record properties are written by their
   * declared types where that promises something (see the class).
   */
  static ObjectMapper forResults(ObjectMapper mapper) {
    ObjectMapper copy = mapper.copy();
    return copy.setAnnotationIntrospector(AnnotationIntrospector.pair(
        copy.getSerializationConfig().getAnnotationIntrospector(), new PropertyTyping()));
  }

  /**
   * Whether writing a value declared as {@code type} by that type (Jackson's static typing) keeps
   * some runtime class from adding properties, and loses nothing: it holds a type that promises
   * properties and is not final, and no type that promises nothing other than {@code Object}
   * (which static typing leaves to the runtime class).
   */
  static boolean staticTypingProtects(JavaType type) {
    return protects(type) == Verdict.PROTECTS;
  }

  private enum Verdict { NEUTRAL, PROTECTS, LOSES }

  private static Verdict protects(JavaType type) {
    if (type.isArrayType() || type.isContainerType() || type.isReferenceType()) {
      Verdict content = type.getContentType() == null ? Verdict.NEUTRAL
          : protects(type.getContentType());
      Verdict key = type.getKeyType() == null ? Verdict.NEUTRAL : protects(type.getKeyType());
      if (content == Verdict.LOSES || key == Verdict.LOSES) {
        return Verdict.LOSES;
      }
      return content == Verdict.PROTECTS || key == Verdict.PROTECTS
          ? Verdict.PROTECTS : Verdict.NEUTRAL;
    }
    if (type.isJavaLangObject() || type.isPrimitive() || type.isFinal() || type.isEnumType()) {
      return Verdict.NEUTRAL;
    }
    return promisesNothing(type) ? Verdict.LOSES : Verdict.PROTECTS;
  }

  /**
   * Whether {@code type} is Object, or a JDK or Jackson type that a value's runtime class may
   * extend: its own serializer, if any, is the runtime class's.
   */
  private static boolean promisesNothing(JavaType type) {
    if (type.isJavaLangObject()) {
      return true;
    }
    if (type.isPrimitive() || type.isFinal() || type.isEnumType()) {
      return false;
    }
    String name = type.getRawClass().getName();
    return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
        || name.startsWith("sun.") || name.startsWith("com.fasterxml.jackson.");
  }

  /**
   * Marks a bean's or record's property as statically typed where {@link #staticTypingProtects}
   * says so; a property that says how it is written ({@code @JsonSerialize}) keeps its way.
   */
  private static final class PropertyTyping extends NopAnnotationIntrospector {
    private static final long serialVersionUID = 1L;

    @Override
    public JsonSerialize.Typing findSerializationTyping(Annotated a) {
      return a instanceof AnnotatedMember && staticTypingProtects(a.getType())
          ? JsonSerialize.Typing.STATIC : null;
    }
  }
}
