package dev.servedeck.core.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JavaCppPhysicalMemoryCheckTest {

    private String camelCase;
    private String lowerCase;

    @BeforeEach
    void saveProperties() {
        camelCase = System.getProperty(JavaCppPhysicalMemoryCheck.PROPERTY);
        lowerCase = System.getProperty(JavaCppPhysicalMemoryCheck.LOWER_CASE_PROPERTY);
        System.clearProperty(JavaCppPhysicalMemoryCheck.PROPERTY);
        System.clearProperty(JavaCppPhysicalMemoryCheck.LOWER_CASE_PROPERTY);
    }

    @AfterEach
    void restoreProperties() {
        restore(JavaCppPhysicalMemoryCheck.PROPERTY, camelCase);
        restore(JavaCppPhysicalMemoryCheck.LOWER_CASE_PROPERTY, lowerCase);
    }

    @Test
    void withoutALimitFromTheOperatorTheCheckIsSwitchedOff() {
        JavaCppPhysicalMemoryCheck.switchOffUnlessConfigured();

        assertThat(System.getProperty(JavaCppPhysicalMemoryCheck.PROPERTY)).isEqualTo("0");
    }

    @Test
    void anOperatorsLimitInEitherSpellingStays() {
        System.setProperty(JavaCppPhysicalMemoryCheck.LOWER_CASE_PROPERTY, "8g");
        JavaCppPhysicalMemoryCheck.switchOffUnlessConfigured();
        assertThat(System.getProperty(JavaCppPhysicalMemoryCheck.PROPERTY)).isNull();

        System.clearProperty(JavaCppPhysicalMemoryCheck.LOWER_CASE_PROPERTY);
        System.setProperty(JavaCppPhysicalMemoryCheck.PROPERTY, "12g");
        JavaCppPhysicalMemoryCheck.switchOffUnlessConfigured();
        assertThat(System.getProperty(JavaCppPhysicalMemoryCheck.PROPERTY)).isEqualTo("12g");
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }
}
