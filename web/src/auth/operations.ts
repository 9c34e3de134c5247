import { graphql } from '../gql';

/**
 * The operations of the session, as written: `npm run codegen` generates them into gql/graphql.ts (MeDocument,
 * LogInDocument, …). What the login page loads (LoginPage, session, authRequest) imports those generated documents
 * directly, never through `graphql()`: its lookup table holds every document of the app. The signed-in app uses
 * these names.
 */

// The signed-in user, as the rest of the app needs it (id for "is this mine", displayName for optimistic messages).
export const MeQuery = graphql(`
  query Me {
    me {
      id
      username
      displayName
    }
  }
`);

export const LogInMutation = graphql(`
  mutation LogIn($username: String!, $password: String!) {
    logIn(username: $username, password: $password) {
      token
      user {
        id
        username
        displayName
      }
    }
  }
`);

export const SignUpMutation = graphql(`
  mutation SignUp($username: String!, $password: String!, $displayName: String) {
    signUp(username: $username, password: $password, displayName: $displayName) {
      token
      user {
        id
        username
        displayName
      }
    }
  }
`);

export const LogOutMutation = graphql(`
  mutation LogOut {
    logOut
  }
`);

export const LogOutEverywhereMutation = graphql(`
  mutation LogOutEverywhere {
    logOutEverywhere
  }
`);
