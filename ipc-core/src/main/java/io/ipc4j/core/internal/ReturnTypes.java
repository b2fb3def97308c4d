package io.ipc4j.core.internal;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.type.TypeBindings;
import com.fasterxml.jackson.databind.type.TypeFactory;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.stream.BaseStream;

/**
 * The types a method's answers are written as, resolved once at exposure: the declared return
 * type with its type variables bound as the exposed object's class binds them ({@code UserRepo
 * implements Repo<User>} makes {@code T find()} return a User; a variable left open stands for
 * its bound), the {@code T} of a {@code CompletionStage<T>}, and the item type of a stream. The
 * types are fully resolved {@link Type}s that every serializer reads quickly.
 *
 * @param result the type of the value sent back: the return type, or {@code T} of a {@code
 *     CompletionStage<T>}
 * @param item the element type of a stream, iterator, iterable or collection return type, or
 *     null when the method's result is none of these
 * @param itemList {@code List<item>}: all the items sent as one answer; null as item
 */
public record ReturnTypes(Type result, Type item, Type itemList) {
  private static final TypeFactory TYPES = Mappers.types();
  private static final JavaType OBJECT = TYPES.constructType(Object.class);

  /**
   * The answer types of {@code method} as {@code implementation} carries it out.
   *
   * @param hasItems whether the method's items are sent one by one or as a list (a stream, an
   *     iterator, an iterable or a collection)
   */
  public static ReturnTypes of(Method method, Class<?> implementation, boolean hasItems) {
    JavaType owner = TYPES.constructType(implementation).findSuperType(method.getDeclaringClass());
    JavaType declared = TYPES.resolveMemberType(method.getGenericReturnType(),
        owner == null ? TypeBindings.emptyBindings() : owner.getBindings());
    JavaType item = hasItems ? itemType(declared) : null;
    return new ReturnTypes(resultType(declared), item,
        item == null ? null : TYPES.constructCollectionType(List.class, item));
  }

  /** The element type of a stream, iterator or iterable type; Object when it is not known. */
  private static JavaType itemType(JavaType t) {
    for (Class<?> container : List.of(BaseStream.class, Iterator.class, Iterable.class)) {
      if (container.isAssignableFrom(t.getRawClass())) {
        JavaType[] parameters = t.findTypeParameters(container);
        return parameters.length > 0 ? parameters[0] : OBJECT;
      }
    }
    return OBJECT;
  }

  /** {@code declared}, or the {@code T} of a {@code CompletionStage<T>}. */
  private static JavaType resultType(JavaType declared) {
    if (!CompletionStage.class.isAssignableFrom(declared.getRawClass())) {
      return declared;
    }
    JavaType[] parameters = declared.findTypeParameters(CompletionStage.class);
    return parameters.length == 1 ? parameters[0] : OBJECT;
  }
}
