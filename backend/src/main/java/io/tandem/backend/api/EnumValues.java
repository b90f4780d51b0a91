package io.tandem.backend.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/** The values an enum takes in JSON: each constant's {@code @JsonProperty} name, else its Java name. */
public final class EnumValues {

    private EnumValues() {
    }

    public static List<String> wireNames(Class<?> type) {
        List<String> names = new ArrayList<>();
        for (Object constant : type.getEnumConstants()) {
            String name = ((Enum<?>) constant).name();
            try {
                JsonProperty property = type.getField(name).getAnnotation(JsonProperty.class);
                names.add(property != null && !property.value().isEmpty() ? property.value() : name);
            } catch (NoSuchFieldException impossible) {
                throw new IllegalStateException("enum constant " + name + " is no field of " + type, impossible);
            }
        }
        return names;
    }
}
