package io.tandem.backend;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** One Tandem cluster node. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TandemNode {
    public static void main(String[] args) {
        SpringApplication.run(TandemNode.class, args);
    }
}
