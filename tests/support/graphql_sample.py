"""A small schema in the shape of the practice server's API, for the editor's tests."""

SDL = """
"An item in the shop."
type Item {
  id: ID!
  "What the item is called."
  name: String!
  price: Float
  owner: User
  tags: [String!]!
  old: String @deprecated(reason: "use name")
}

type User {
  id: ID!
  name: String!
  role: Role
  items(first: Int = 10): [Item!]!
}

enum Role { ADMIN MEMBER }

input ItemInput { name: String!, price: Float, role: Role }

union Thing = Item | User

type Query {
  "Every item, newest first."
  items(first: Int, role: Role): [Item!]!
  "One item by its id."
  item(id: ID!): Item
  users: [User!]!
  things: [Thing!]!
}

type Mutation {
  createItem(input: ItemInput!): Item!
}
"""
