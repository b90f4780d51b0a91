package io.tandem.callback;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The callback service (architecture decision 9): parks app callers, wakes agents with pushes, joins them. Its own
 * process, and the only one that holds push credentials.
 */
// Users are the nodes' directory in Redis (security.DirectoryUsers), never a generated in-memory one.
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
public class CallbackService {

    public static void main(String[] args) {
        SpringApplication.run(CallbackService.class, args);
    }
}
