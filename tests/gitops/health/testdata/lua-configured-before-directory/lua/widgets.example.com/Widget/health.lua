return {status = "Healthy", message = "directory"}
